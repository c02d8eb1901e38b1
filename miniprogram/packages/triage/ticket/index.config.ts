export default definePageConfig({ navigationBarTitleText: '分诊对话' });
