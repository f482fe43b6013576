"""Echoes its data; fails or sleeps when the data asks for it."""
import time


def lookup(data):
    return data['missing']


def hello(event, context):
    data = event['data']
    if isinstance(data, dict) and data.get('fail'):
        return lookup(data)
    if isinstance(data, dict) and 'sleep' in data:
        time.sleep(data['sleep'])
    print(f'hello called with data={data!r}')
    return data or 'hello world'
