import { t } from '../i18n';

/** Renders the notice for a case this device does not have: why it may have gone and whom to ask. */
export function CaseNotOnPhone() {
  return (
    <section class="card" data-testid="case-not-found">
      <p>{t('case-not-found')}</p>
      <p class="hint">{t('case-not-found-why')}</p>
    </section>
  );
}
