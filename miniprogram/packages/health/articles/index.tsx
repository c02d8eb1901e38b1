import { useState } from 'react';
import Taro from '@tarojs/taro';
import { View, Text, Input } from '@tarojs/components';
import { api } from '../../../api/client';
import { useRequest } from '../../../api/use-request';
import { StatusView } from '../../../components/status-view';
import { ARTICLE_CATEGORY_LABELS } from '../../../../common/articles';
import '../health.css';

type Category = keyof typeof ARTICLE_CATEGORY_LABELS;
const CATEGORIES = [
  { key: '', label: '全部' },
  ...(Object.keys(ARTICLE_CATEGORY_LABELS) as Category[]).map((k) => ({ key: k, label: ARTICLE_CATEGORY_LABELS[k] })),
];

/** 健康知识: published articles by category, with search. */
export default function ArticlesPage() {
  const [category, setCategory] = useState('');
  const [typed, setTyped] = useState('');
  const [q, setQ] = useState('');
  const list = useRequest(
    () => api.articles.list({ q: q || undefined, category: category || undefined }),
    [q, category],
  );
  return (
    <View className='page hp'>
      <View className='hp__intro'>
        <View className='hp__search-box'>
          <Input
            className='hp__search'
            type='text'
            confirmType='search'
            value={typed}
            placeholder='搜索文章，如：血压、发烧'
            aria-label='搜索文章'
            onInput={(e) => setTyped(e.detail.value)}
            onConfirm={() => setQ(typed.trim())}
            onBlur={() => setQ(typed.trim())}
          />
        </View>
        <View className='hp__chips' role='radiogroup' aria-label='分类'>
          {CATEGORIES.map((c) => (
            <View
              key={c.key}
              role='radio'
              aria-checked={c.key === category}
              className={`hp__chip ${c.key === category ? 'is-active' : ''}`}
              onClick={() => setCategory(c.key)}
            >
              {c.label}
            </View>
          ))}
        </View>
      </View>
      <StatusView
        loading={list.loading && !list.data}
        error={list.error}
        onRetry={list.reload}
        empty={list.data?.items.length === 0}
        emptyText='没有找到相关文章'
      />
      {list.data?.items.map((a) => (
        <View
          key={a.id}
          className='card card--tap hp__article'
          onClick={() => void Taro.navigateTo({ url: `/packages/health/article/index?id=${a.id}` })}
        >
          <Text className='hp__big'>{a.title}</Text>
          <Text className='muted'>{a.excerpt}</Text>
          <View className='hp__article-meta'>
            <Text className='badge'>{ARTICLE_CATEGORY_LABELS[a.category as Category]}</Text>
            <Text className='muted'>阅读 {a.readCount}</Text>
          </View>
        </View>
      ))}
    </View>
  );
}
