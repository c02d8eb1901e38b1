/**
 * The H5 app shell: Taro draws the title bar (with back / home) and the tab
 * bar; this restyles them (h5-shell.css) and fixes what they lack in a browser.
 */
import '../styles/h5-shell.css';

/**
 * Taro's tab bar items are `<a href="javascript:;">`. Following such a link
 * breaks `script-src 'self'` (one CSP violation per tap); the item's own click
 * handler switches the tab, so the link's default action is never needed.
 */
function keepTabBarLinksInert(event: MouseEvent) {
  const link = (event.target as Element | null)?.closest?.('a[href^="javascript:"]');
  if (link) event.preventDefault();
}

/** Taro's title-bar buttons are bare divs: give them a role and a spoken name (they are created once). */
function labelTitleBarButtons(): boolean {
  const back = document.querySelector('.taro-navigation-bar-back');
  const home = document.querySelector('.taro-navigation-bar-home');
  if (!back || !home) return false;
  for (const [el, name] of [
    [back, '返回'],
    [home, '首页'],
  ] as const) {
    el.setAttribute('role', 'button');
    el.setAttribute('aria-label', name);
  }
  return true;
}

document.addEventListener('click', keepTabBarLinksInert, true);
if (!labelTitleBarButtons()) {
  const observer = new MutationObserver(() => labelTitleBarButtons() && observer.disconnect());
  observer.observe(document.body, { childList: true, subtree: true });
}
