import { h, link } from '../dom.ts';
import type { PageFactory } from '../router.ts';

export const notFoundPage: PageFactory = (_ctx, [path = '']) => ({
  el: h('div', { class: 'page' }, h('h1', {}, 'Not found'), h('p', {}, `Nothing at ${path}. `, link('/functions', 'Go to the functions'))),
  title: 'Not found',
});
