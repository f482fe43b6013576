"""Renders a report of some pages; a long report takes longer than the function's timeout."""
import time

SECONDS_PER_PAGE = 0.05


def render(event, context):
    options = event['data'] if isinstance(event['data'], dict) else {}
    pages = int(options.get('pages', 1))
    time.sleep(pages * SECONDS_PER_PAGE)
    print(f'rendered {pages} page(s) for {context["function-name"]}')
    return {'pages': pages, 'status': 'rendered'}
