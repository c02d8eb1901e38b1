import type { ReactNode } from 'react';
import { View, Text } from '@tarojs/components';
import './form-field.css';

/**
 * A labelled form row. The error line below the control is always there
 * (empty when valid), so an error appearing or clearing never moves what is
 * under the patient's finger.
 */
export function FormField({ label, error, children }: { label: string; error?: string; children: ReactNode }) {
  return (
    <View className={`form-field ${error ? 'form-field--error' : ''}`}>
      <Text className='form-field__label'>{label}</Text>
      <View className='form-field__control'>{children}</View>
      <View className='form-field__error' role='alert'>
        <Text>{error ?? ''}</Text>
      </View>
    </View>
  );
}
