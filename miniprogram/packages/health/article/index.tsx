import { useRouter } from '@tarojs/taro';
import { View, Text, RichText } from '@tarojs/components';
import { api } from '../../../api/client';
import { useRequest } from '../../../api/use-request';
import { StatusView } from '../../../components/status-view';
import '../health.css';

/**
 * One article. The server renders its Markdown to a small HTML subset with
 * no attributes, links, images or raw HTML (server/src/modules/health/markdown.ts),
 * so RichText gets nothing that could run.
 */
export default function ArticlePage() {
  const { id = '' } = useRouter().params;
  const article = useRequest(() => api.articles.get(id), [id]);
  const a = article.data;
  return (
    <View className='page hp'>
      <StatusView loading={article.loading} error={article.error} onRetry={article.reload} />
      {a && (
        <View className='card hp__doc'>
          <Text className='hp__doc-title'>{a.title}</Text>
          <Text className='muted'>
            {a.author} · {a.publishedAt?.slice(0, 10)} · 阅读 {a.readCount}
          </Text>
          <RichText className='hp__doc-body' nodes={a.html} />
          <Text className='muted hp__doc-note'>本文为健康科普，不能代替医生面诊。如有不适请及时就医。</Text>
        </View>
      )}
    </View>
  );
}
