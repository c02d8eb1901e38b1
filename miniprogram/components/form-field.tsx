import type { ReactNode } from 'react';
import { View, Text } from '@tarojs/components';
import './form-field.css';

/** A labelled form row with its inline error message underneath. */
export function FormField({ label, error, children }: { label: string; error?: string; children: ReactNode }) {
  return (
    <View className={`form-field ${error ? 'form-field--error' : ''}`}>
      <Text className='form-field__label'>{label}</Text>
      <View className='form-field__control'>{children}</View>
      {error && <Text className='form-field__error'>{error}</Text>}
    </View>
  );
}
