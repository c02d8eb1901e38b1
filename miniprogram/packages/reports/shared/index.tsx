import { useRouter } from '@tarojs/taro';
import { SharedView } from '../shared-view';

/** weapp: the page a share card opens (`?t=<token>`); H5 uses /pages/shared/index with the token in the fragment. */
export default function SharedInWeapp() {
  return <SharedView token={useRouter().params.t ?? ''} />;
}
