import Taro from '@tarojs/taro';
import { api } from '../api/client';
import { isSignedIn } from '../api/session';

const IS_WEAPP = process.env.TARO_ENV === 'weapp';
/** The 我的 tab, where 消息 lives. */
const MINE_TAB = 2;

let templates: Map<string, string> | undefined;

/**
 * Loads the template ids ahead of the tap that asks for permission: WeChat
 * accepts `requestSubscribeMessage` only as the direct result of a tap, not
 * after a network round trip. Call it when a page that asks opens.
 */
export function preloadSubscribeTemplates(): void {
  if (!IS_WEAPP || templates) return;
  api.notifications.templates().then(
    (r) => (templates = new Map(r.items.map((t) => [t.kind, t.templateId]))),
    () => undefined,
  );
}

/**
 * Asks for WeChat subscribe-message permission (订阅消息) for the notices that
 * follow an action the patient is taking now, e.g. booking: the confirmation,
 * a 停诊 and the visit reminder. Call it first thing in the tap handler
 * (templates preloaded); WeChat allows at most three templates at a time; each "allow" is good for one message. The
 * answers go to the server, which uses one up per send and falls back to SMS
 * without. Mini-program only: the H5 site has the inbox.
 */
export async function askToSubscribe(kinds: string[]): Promise<void> {
  if (!IS_WEAPP || !isSignedIn() || !templates) return;
  try {
    const ids = templates;
    const tmplIds = kinds
      .map((k) => ids.get(k))
      .filter((x): x is string => Boolean(x))
      .slice(0, 3);
    if (!tmplIds.length) return;
    const answer = (await Taro.requestSubscribeMessage({ tmplIds } as never)) as unknown as Record<string, string>;
    const results = Object.fromEntries(tmplIds.filter((id) => answer[id]).map((id) => [id, answer[id]]));
    if (Object.keys(results).length) await api.notifications.recordSubscriptions(results);
  } catch {
    /* declined or unsupported: the notice still reaches the inbox and SMS */
  }
}

/** Shows the number of unread notices on the 我的 tab (or clears it). */
export async function refreshUnreadBadge(): Promise<number> {
  if (!isSignedIn()) {
    void Taro.removeTabBarBadge({ index: MINE_TAB }).catch(() => undefined);
    return 0;
  }
  const { unread } = await api.notifications.unreadCount().catch(() => ({ unread: 0 }));
  if (unread > 0)
    void Taro.setTabBarBadge({ index: MINE_TAB, text: unread > 99 ? '99+' : String(unread) }).catch(() => undefined);
  else void Taro.removeTabBarBadge({ index: MINE_TAB }).catch(() => undefined);
  return unread;
}
