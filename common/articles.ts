/** 健康知识 categories and their labels, shared by the server, the console and the mini-program (no dependencies). */
export const ARTICLE_CATEGORIES = ['blood_pressure', 'diabetes', 'child_health', 'seasonal', 'general'] as const;
export type ArticleCategory = (typeof ARTICLE_CATEGORIES)[number];
export const ARTICLE_CATEGORY_LABELS: Record<ArticleCategory, string> = {
  blood_pressure: '高血压',
  diabetes: '糖尿病',
  child_health: '儿童健康',
  seasonal: '四季养生',
  general: '综合',
};
