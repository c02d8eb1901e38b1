// weapp: WeChat draws the title bar and the tab bar natively from app.config.ts; nothing to install.
export {};
