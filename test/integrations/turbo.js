/**
 * Turbo Drive (the npm package): every link on these pages becomes a Turbo visit, which fetches the next
 * page and replaces <body> (keeping `data-turbo-permanent` elements). The heading shows which page each
 * visit rendered.
 */
import '@hotwired/turbo';

document.addEventListener('turbo:load', () => {
  document.querySelector('#page').textContent = new URLSearchParams(location.search).get('page') ?? 'home';
});
