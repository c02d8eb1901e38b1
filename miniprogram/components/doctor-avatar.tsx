import { useMemo } from 'react';
import { Image } from '@tarojs/components';
import { svgDataUri } from '../lib/svg';
import './doctor-avatar.css';

/** Calm blues and teals that carry white well; one per doctor, the same every time. */
const TINTS = ['#4f86d9', '#3b9ab2', '#6477c9', '#3f8fc4', '#2f9484', '#5a7fb8'];

function tintOf(name: string): string {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) >>> 0;
  return TINTS[h % TINTS.length];
}

/** A drawn bust in a white coat, for hospitals that send no photo. */
export function placeholderSvg(name: string, gender: 'male' | 'female'): string {
  const bg = tintOf(name);
  const hair =
    gender === 'female'
      ? `<path d="M30 44c0-14 8-23 18-23s18 9 18 23v12c-3 0-6-3-7-7H37c-1 4-4 7-7 7z" fill="#28344a" fill-opacity=".55"/>`
      : '';
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="192" height="192" viewBox="0 0 96 96"><rect width="96" height="96" fill="${bg}"/>` +
    hair +
    `<circle cx="48" cy="40" r="15" fill="#fff"/>` +
    `<path d="M18 96c0-18 13-30 30-30s30 12 30 30z" fill="#fff"/>` +
    `<path d="M40 67l8 13 8-13" fill="none" stroke="${bg}" stroke-width="4" stroke-linejoin="round"/>` +
    `<circle cx="62" cy="82" r="4" fill="${bg}"/></svg>`
  );
}

interface Props {
  name: string;
  gender?: 'male' | 'female';
  /** The hospital's photo, when it sends one. */
  photo?: string;
  size?: 'md' | 'lg';
}

export function DoctorAvatar({ name, gender = 'male', photo, size = 'md' }: Props) {
  const src = useMemo(() => photo ?? svgDataUri(placeholderSvg(name, gender)), [photo, name, gender]);
  return (
    <Image className={`doctor-avatar doctor-avatar--${size}`} src={src} mode='aspectFill' ariaLabel={`${name}医生`} />
  );
}
