export default definePageConfig({ navigationBarTitleText: '智能分诊' });
