import type { ComponentChildren } from 'preact';
import { useT } from './i18n';

export function Loading() {
  const { t } = useT();
  return (
    <p class="muted" role="status" aria-live="polite">
      {t('loading')}
    </p>
  );
}

export function ErrorBox({ error }: { error: Error }) {
  const { t } = useT();
  return (
    <p class="error" role="alert">
      {t('error')}：{error.message}
    </p>
  );
}

export function Section({ title, children, id }: { title: string; children: ComponentChildren; id?: string }) {
  return (
    <section class="card" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

export function Restricted() {
  const { t } = useT();
  return (
    <span class="restricted" data-restricted="1">
      {t('restricted')}
    </span>
  );
}
