import { useState } from 'preact/hooks';
import { ApiError, gql, setToken } from '../api';
import { useT } from '../i18n';

/** Pasting a token: it is checked against the API before it is kept. */
export function SignIn({ onDone, message }: { onDone: () => void; message?: string | null }) {
  const { t } = useT();
  const [value, setValue] = useState('');
  const [err, setErr] = useState<string | null>(message ?? null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const tok = value.trim();
    if (!tok) return;
    setBusy(true);
    setToken(tok);
    try {
      await gql('{ __typename }');
      onDone();
    } catch (x) {
      setToken(null);
      setErr(x instanceof ApiError && x.status === 401 ? t('badToken') : String((x as Error).message));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card signin" onSubmit={submit} aria-labelledby="signin-title">
      <h2 id="signin-title">{t('signIn')}</h2>
      <p class="muted">{t('signInHelp')}</p>
      <label class="field">
        <span>{t('token')}</span>
        <input
          type="password"
          name="token"
          autoComplete="off"
          spellcheck={false}
          value={value}
          onInput={(e) => setValue((e.target as HTMLInputElement).value)}
          placeholder="gg_…"
          required
        />
      </label>
      <button type="submit" class="primary" disabled={busy}>
        {t('signIn')}
      </button>
      {err && (
        <p class="error" role="alert">
          {err}
        </p>
      )}
    </form>
  );
}
