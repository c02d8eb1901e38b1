import { ScrollView, Text, View } from '@tarojs/components';
import { DAY_STATUS_LABEL, shortDate, weekdayLabel, type DayStatus } from '../constants/labels';
import './date-strip.css';

export interface Day {
  date: string;
  status: DayStatus;
}

/**
 * A row of dates, each saying at a glance whether it has seats (有号 / 约满 /
 * 未放号 ...). Dates without seats can still be opened: the page then says why.
 */
export function DateStrip({
  days,
  value,
  onChange,
}: {
  days: Day[];
  value?: string;
  onChange: (date: string) => void;
}) {
  return (
    <ScrollView scrollX className='date-strip' scrollIntoView={value ? `day-${value}` : undefined} scrollWithAnimation>
      {days.map((d) => (
        <View
          key={d.date}
          id={`day-${d.date}`}
          className={`date-strip__day is-${d.status} ${d.date === value ? 'is-active' : ''}`}
          onClick={() => onChange(d.date)}
          role='button'
        >
          <Text className='date-strip__weekday'>{weekdayLabel(d.date)}</Text>
          <Text className='date-strip__date'>{shortDate(d.date)}</Text>
          <Text className='date-strip__status'>{DAY_STATUS_LABEL[d.status]}</Text>
        </View>
      ))}
    </ScrollView>
  );
}
