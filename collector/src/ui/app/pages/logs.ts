import { h } from '../dom.ts';
import type { PageFactory } from '../router.ts';
import { TailPane } from '../tail/pane.ts';

/** The live tail over every function (or the ones the filters pick). */
export const logsPage: PageFactory = (ctx, _params, query) => {
  const max = Number(query.get('max'));
  const tail = new TailPane({
    api: ctx.api,
    initial: query,
    onFilterChange: (q) => ctx.setQuery(q),
    ...(Number.isInteger(max) && max >= 100 && max <= 100_000 ? { maxRows: max } : {}),
  });
  tail.view.el.classList.add('tall', 'wide-pods');
  const el = h(
    'div',
    { class: 'page logs' },
    h('div', { class: 'page-head' }, h('h1', {}, 'Logs')),
    h('p', { class: 'lede' }, 'Live lines from every function pod, oldest at the top. Exceptions are one block each (select the head to fold it); a striped row marks a gap in the stream.'),
    tail.el,
  );
  return { el, title: 'Logs', destroy: () => tail.destroy() };
};
