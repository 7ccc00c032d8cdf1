import { t } from '../i18n';

/** Risk shown by colour and by word, so it reads without colour vision or in sunlight. */
export function RiskBadge({ level }: { level: unknown }) {
  const known = level === 'high' || level === 'medium' || level === 'low' ? level : 'none';
  return <span class={`risk ${known}`}>{t(`risk-${known}`)}</span>;
}
