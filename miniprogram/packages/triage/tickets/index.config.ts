export default definePageConfig({ navigationBarTitleText: '人工分诊' });
