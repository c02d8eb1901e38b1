import { useState } from 'react';
import { App, Button, Card, Form, Input, Modal, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { ARTICLE_CATEGORIES, ARTICLE_CATEGORY_LABELS, articleInput } from '@common/console/forms';
import { get, post, put } from '../api';
import { showServerErrors, validate } from '../forms';
import { useLoad } from '../hooks';
import { shTime } from '../labels';
import type { Article, ArticleSummary, Page } from '../types';

type Category = (typeof ARTICLE_CATEGORIES)[number];
const categoryOptions = ARTICLE_CATEGORIES.map((c) => ({ value: c, label: ARTICLE_CATEGORY_LABELS[c] }));

/** 内容管理 (platform admins): 健康知识 articles; writing, publishing and unpublishing are audited. */
export default function ArticlesPage() {
  const { message } = App.useApp();
  const [q, setQ] = useState('');
  const [category, setCategory] = useState<Category>();
  const [page, setPage] = useState(1);
  const list = useLoad(
    () => get<Page<ArticleSummary>>('/articles', { q: q || undefined, category, page, pageSize: 20 }),
    [q, category, page],
  );
  const [editing, setEditing] = useState<Article | 'new'>();

  const open = async (id: string) => setEditing(await get<Article>(`/articles/${id}`));
  const toggle = async (a: ArticleSummary) => {
    const full = await get<Article>(`/articles/${a.id}`);
    const { title, category: c, tags, author, body } = full;
    await put(`/articles/${a.id}`, { title, category: c, tags, author, body, published: !a.published });
    message.success(a.published ? '已下线' : '已发布');
    void list.reload();
  };

  return (
    <Card
      title='健康知识'
      extra={
        <Space>
          <Select
            allowClear
            placeholder='全部分类'
            style={{ width: 140 }}
            options={categoryOptions}
            value={category}
            onChange={(v) => {
              setCategory(v);
              setPage(1);
            }}
          />
          <Input.Search
            allowClear
            placeholder='标题、标签或正文'
            onSearch={(v) => {
              setQ(v.trim());
              setPage(1);
            }}
            style={{ width: 220 }}
          />
          <Button type='primary' onClick={() => setEditing('new')}>
            写文章
          </Button>
        </Space>
      }
    >
      <Table
        rowKey='id'
        size='small'
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage }}
        locale={{ emptyText: '没有文章' }}
        columns={[
          {
            title: '标题',
            dataIndex: 'title',
            render: (t: string, a) => <Typography.Link onClick={() => void open(a.id)}>{t}</Typography.Link>,
          },
          { title: '分类', dataIndex: 'category', render: (c: Category) => ARTICLE_CATEGORY_LABELS[c] },
          { title: '标签', dataIndex: 'tags', render: (tags: string[]) => tags.map((t) => <Tag key={t}>{t}</Tag>) },
          {
            title: '状态',
            dataIndex: 'published',
            render: (p: boolean) => (p ? <Tag color='green'>已发布</Tag> : <Tag>草稿</Tag>),
          },
          { title: '阅读', dataIndex: 'readCount', align: 'right' },
          { title: '更新时间', dataIndex: 'updatedAt', render: (t: string) => shTime(t) },
          {
            title: '操作',
            render: (_: unknown, a) => (
              <Button size='small' onClick={() => void toggle(a)}>
                {a.published ? '下线' : '发布'}
              </Button>
            ),
          },
        ]}
      />
      {editing && (
        <ArticleModal
          article={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(undefined)}
          onSaved={() => {
            setEditing(undefined);
            message.success('已保存');
            void list.reload();
          }}
        />
      )}
    </Card>
  );
}

function ArticleModal(props: { article?: Article; onClose: () => void; onSaved: () => void }) {
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const a = props.article;
  const submit = async () => {
    const body = validate(articleInput, form, form.getFieldsValue());
    if (!body) return;
    setBusy(true);
    try {
      if (a) await put(`/articles/${a.id}`, body);
      else await post('/articles', body);
      props.onSaved();
    } catch (err) {
      if (!showServerErrors(err, form)) form.setFields([{ name: 'title', errors: [(err as Error).message] }]);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      width={760}
      title={a ? `编辑：${a.title}` : '写文章'}
      okText='保存'
      cancelText='取消'
      okButtonProps={{ loading: busy }}
      onOk={() => void submit()}
      onCancel={props.onClose}
    >
      <Form
        form={form}
        layout='vertical'
        requiredMark={false}
        initialValues={
          a
            ? {
                title: a.title,
                category: a.category,
                tags: a.tags,
                author: a.author,
                body: a.body,
                published: a.published,
              }
            : { title: '', category: 'general', tags: [], author: '医联云健康编辑部', body: '', published: false }
        }
      >
        <Form.Item name='title' label='标题'>
          <Input maxLength={100} />
        </Form.Item>
        <Space size='large' align='start'>
          <Form.Item name='category' label='分类'>
            <Select options={categoryOptions} style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name='tags' label='标签'>
            <Select mode='tags' style={{ width: 300 }} placeholder='输入后回车' />
          </Form.Item>
          <Form.Item name='author' label='作者'>
            <Input style={{ width: 180 }} />
          </Form.Item>
        </Space>
        <Form.Item
          name='body'
          label='正文（Markdown）'
          extra='支持标题（##）、加粗（**）、列表、引用；不支持链接、图片和HTML，输入的HTML会原样显示为文字。'
        >
          <Input.TextArea rows={14} />
        </Form.Item>
        <Form.Item name='published' label='发布' valuePropName='checked'>
          <Switch checkedChildren='发布' unCheckedChildren='草稿' />
        </Form.Item>
      </Form>
    </Modal>
  );
}
