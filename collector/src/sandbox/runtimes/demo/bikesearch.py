"""Searches the city's bike-share stations by name; the query is a JSON object with a "term"."""

STATIONS = [
    {'id': 101, 'name': 'Union Square', 'bikes': 7, 'docks': 12},
    {'id': 102, 'name': 'Harbor Front', 'bikes': 0, 'docks': 20},
    {'id': 103, 'name': 'Central Station', 'bikes': 14, 'docks': 4},
    {'id': 104, 'name': 'University Library', 'bikes': 3, 'docks': 15},
    {'id': 105, 'name': 'Market Street', 'bikes': 9, 'docks': 9},
    {'id': 106, 'name': 'Riverside Park', 'bikes': 5, 'docks': 11},
    {'id': 107, 'name': 'Old Town Square', 'bikes': 2, 'docks': 18},
]


def matches(station, term):
    return term.lower() in station['name'].lower()


def search(event, context):
    query = event['data']
    term = query['term']
    limit = int(query.get('limit', 5))
    found = [s for s in STATIONS if matches(s, term)][:limit]
    print(f'bikesearch term={term!r} found={len(found)}')
    return {'term': term, 'count': len(found), 'stations': found}
