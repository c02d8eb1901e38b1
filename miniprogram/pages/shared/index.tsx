import { SharedView } from '../../packages/reports/shared-view';

/** `#t=<token>`: the fragment never reaches a server, a proxy log or a Referer. */
export const tokenFromFragment = (hash: string) => new URLSearchParams(hash.replace(/^#/, '')).get('t') ?? '';

/**
 * H5 only (listed in app.config.ts for H5 builds): the public page a shared link opens,
 * `/pages/shared/index#t=<token>` as the server builds it. No sign-in, no tab bar.
 */
export default function SharedPage() {
  return <SharedView token={tokenFromFragment(typeof window === 'undefined' ? '' : window.location.hash)} />;
}
