import {
  ArrowRight,
  Articles,
  Clock,
  Doctor,
  Gardener,
  Health,
  Heart,
  Hi,
  Location,
  Message,
  Notice,
  Order,
  Phone,
  Search,
  Service,
  Setting,
  Share,
  ShieldCheck,
  SuccessF,
  Tips,
  User,
  Wallet,
} from '@nutui/icons-react-taro';
import './icon.css';

/**
 * The platform's one icon set: NutUI's SVG icons (drawn as a CSS mask in the
 * text colour, so they work in weapp and H5 alike). Pages name an icon by what
 * it means, never by its drawing, so the set can change in one place.
 */
const ICONS = {
  booking: Health,
  report: Order,
  navigation: Location,
  queue: Notice,
  triage: Doctor,
  clinic: Doctor,
  fees: Wallet,
  zone: Heart,
  health: Articles,
  child: Hi,
  tcm: Gardener,
  appointments: Clock,
  patients: User,
  privacy: ShieldCheck,
  service: Service,
  search: Search,
  location: Location,
  phone: Phone,
  time: Clock,
  note: Tips,
  success: SuccessF,
  more: ArrowRight,
  messages: Message,
  settings: Setting,
  share: Share,
} as const;

export type IconName = keyof typeof ICONS;

interface Props {
  name: IconName;
  /** sm 32, md 40, lg 48, xl 64 design px (16 to 32 CSS px). */
  size?: 'sm' | 'md' | 'lg' | 'xl';
  className?: string;
}

export function Icon({ name, size = 'md', className = '' }: Props) {
  const Svg = ICONS[name];
  return <Svg className={`yl-icon yl-icon--${size} ${className}`} />;
}
