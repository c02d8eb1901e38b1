import type { PropsWithChildren } from 'react';
import './styles/tokens.css';
import './app.css';
// Taro picks shell/index.h5.ts for the H5 build and shell/index.ts for weapp.
import './shell';

function App({ children }: PropsWithChildren) {
  return children;
}

export default App;
