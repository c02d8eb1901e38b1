/** Money is integer fen everywhere; shown as yuan with two decimals (`1230` -> `¥12.30`). */
export const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;
