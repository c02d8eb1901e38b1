import { running } from '../support/e2e';

jest.setTimeout(60_000);

// Every journey fails on any console error or uncaught error in the page.
afterEach(() => {
  for (const e of running) e.assertNoProblems();
});
