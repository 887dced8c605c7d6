import type { ReactNode } from 'react';
import type { FactoryContacts } from '@cloudloom/contracts';
import { useTranslation } from 'react-i18next';

/** A factory's contacts under its name on a brand's allocation: whom to call or add on WeChat. */
export function FactoryContactLine({ contacts }: { contacts: FactoryContacts | undefined }): ReactNode {
  const { t } = useTranslation();
  if (!contacts || (!contacts.name && !contacts.phone && !contacts.wechat)) return null;
  return (
    <div className="muted small" data-testid="factory-contacts">
      {[
        contacts.name,
        contacts.phone ? <a key="phone" href={`tel:${contacts.phone.replace(/[\s-]/g, '')}`}>{t('factoryProfile.phoneShort', { phone: contacts.phone })}</a> : null,
        contacts.wechat ? t('factoryProfile.wechatShort', { id: contacts.wechat }) : null,
      ].filter(Boolean).map((part, i) => <span key={i}>{i > 0 ? ' · ' : ''}{part}</span>)}
    </div>
  );
}
