import { View, Text } from '@tarojs/components';
import { Button, Skeleton } from '@nutui/nutui-react-taro';
import type { ApiError } from '../api/client';
import './status-view.css';

interface Props {
  loading: boolean;
  error?: ApiError;
  empty?: boolean;
  emptyText?: string;
  onRetry?: () => void;
}

/** Loading skeleton, error with retry, or empty state; renders nothing once there is data. */
export function StatusView({ loading, error, empty, emptyText = '暂无数据', onRetry }: Props) {
  if (loading) return <Skeleton rows={4} animated className='status-skeleton' />;
  if (error) {
    return (
      <View className='status-error' role='alert'>
        <Text className='status-error__text'>{error.message}</Text>
        {onRetry && (
          <Button type='primary' size='large' onClick={onRetry}>
            重新加载
          </Button>
        )}
      </View>
    );
  }
  // Not NutUI's Empty: it loads its picture from a third-party CDN.
  if (empty) return <Text className='empty'>{emptyText}</Text>;
  return null;
}
