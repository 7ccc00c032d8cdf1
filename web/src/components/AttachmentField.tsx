// A photo, audio, document or signature field: take or choose files, see each one's upload
// state, open or remove it. The field's value is the list of attachment ids (one id for a
// signature); the files live in the encrypted vault until the server has verified them.

import { useEffect, useState } from 'preact/hooks';
import {
  addAttachment,
  attachmentBlob,
  attachmentRecord,
  attachmentsChanged,
  AttachmentTooLargeError,
  DEFAULT_MAX_ATTACHMENT_BYTES,
  uploadingNow,
  type AttachmentRecord,
} from '../attachments';
import type { Configuration, Field } from '../domain/config';
import type { JsonValue } from '../domain/validation';
import { t } from '../i18n';
import { session } from '../session';

interface Props {
  field: Field;
  value: JsonValue | undefined;
  onChange: (value: JsonValue) => void;
  config: Configuration;
  caseId?: string;
  inputId: string;
  common: Record<string, unknown>;
}

/** File types the picker offers, by field type. */
const ACCEPT: Record<string, string> = {
  photo: 'image/*',
  signature: 'image/*',
  document: 'image/*,application/pdf',
  audio: 'audio/*',
};

export function AttachmentField(props: Props) {
  const { field, value, onChange, config, caseId, inputId, common } = props;
  const [error, setError] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const single = field.type === 'signature';
  const ids = Array.isArray(value) ? (value as string[]) : typeof value === 'string' ? [value] : [];
  const vault = session.value?.vault;
  const maxBytes = config.deployment.max_attachment_bytes ?? DEFAULT_MAX_ATTACHMENT_BYTES;

  async function onPick(event: Event) {
    const input = event.target as HTMLInputElement;
    const files = Array.from(input.files ?? []);
    input.value = '';
    if (!vault || !caseId || files.length === 0) return;
    setError(null);
    setAdding(true);
    try {
      const added: string[] = [];
      for (const file of single ? files.slice(0, 1) : files) {
        const record = await addAttachment(vault, caseId, field.id, file, { photo: field.type === 'photo', maxBytes });
        added.push(record.meta.id);
      }
      if (single) {
        onChange(added[0] ?? null);
      } else {
        onChange([...ids, ...added]);
      }
    } catch (caught) {
      if (caught instanceof AttachmentTooLargeError) {
        setError(t('attachment-too-large', { number: Math.floor(caught.maxBytes / (1024 * 1024)) }));
      } else {
        setError(t('attachment-add-failed'));
      }
    } finally {
      setAdding(false);
    }
  }

  // The file stays in the vault until the form is saved: a cancelled edit still lists it.
  function onRemove(id: string) {
    const rest = ids.filter((entry) => entry !== id);
    onChange(single || rest.length === 0 ? null : rest);
  }

  if (!caseId || !vault) {
    return (
      <>
        <input {...common} id={inputId} type="file" disabled />
        <p class="hint">{t('field-attachment-later')}</p>
      </>
    );
  }
  const addLabel = field.type === 'photo' ? t('attachment-add-photo') : t('attachment-add-file');
  return (
    <div class="attachments">
      {ids.map((id) => (
        <AttachmentItem key={id} caseId={caseId} id={id} onRemove={() => onRemove(id)} />
      ))}
      {(!single || ids.length === 0) && (
        <label class="button primary" style={{ width: '100%', fontWeight: 600 }}>
          {adding ? t('attachment-adding') : addLabel}
          <input
            {...common}
            id={inputId}
            class="visually-hidden"
            type="file"
            accept={ACCEPT[field.type]}
            capture={field.type === 'photo' ? 'environment' : undefined}
            multiple={!single}
            disabled={adding}
            onChange={(event) => void onPick(event)}
          />
        </label>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/** Shows the files of an attachment field on the case view, each with its state and Open. */
export function AttachmentList(props: { caseId: string; ids: string[] }) {
  return (
    <div class="attachments">
      {props.ids.map((id) => (
        <AttachmentItem key={id} caseId={props.caseId} id={id} />
      ))}
    </div>
  );
}

/** Shows one file of the field: a thumbnail for images, its name and upload state, open, and remove
 * where the field is being edited. */
function AttachmentItem(props: { caseId: string; id: string; onRemove?: () => void }) {
  const { caseId, id, onRemove } = props;
  const [record, setRecord] = useState<AttachmentRecord | null | undefined>(undefined);
  const [thumbnail, setThumbnail] = useState<string | null>(null);
  const [openError, setOpenError] = useState(false);
  const vault = session.value?.vault;
  const changed = attachmentsChanged.value;

  useEffect(() => {
    if (!vault) return;
    let cancelled = false;
    let url: string | null = null;
    void (async () => {
      const found = (await attachmentRecord(vault, caseId, id)) ?? null;
      if (cancelled) return;
      setRecord(found);
      if (found?.hasBytes && found.meta.contentType.startsWith('image/')) {
        const blob = await attachmentBlob(vault, caseId, id).catch(() => undefined);
        if (blob && !cancelled) {
          url = URL.createObjectURL(blob);
          setThumbnail(url);
        }
      }
    })();
    return () => {
      cancelled = true;
      if (url) URL.revokeObjectURL(url);
    };
  }, [vault, caseId, id, changed]);

  async function open() {
    if (!vault) return;
    setOpenError(false);
    try {
      const blob = await attachmentBlob(vault, caseId, id);
      if (!blob) return;
      const url = URL.createObjectURL(blob);
      window.open(url, '_blank', 'noopener');
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch {
      setOpenError(true);
    }
  }

  const sending = uploadingNow.value[id];
  let state: string;
  if (!record) state = t('attachment-state-not-on-device');
  else if (record.state === 'verified') state = t('attachment-state-verified');
  else if (sending && sending.sent < sending.size) state = t('attachment-state-uploading', { number: Math.floor((100 * sending.sent) / sending.size) });
  else state = t('attachment-state-waiting');

  return (
    <div class="card attachment" data-attachment={id} style={{ display: 'flex', gap: '0.75rem', alignItems: 'center', flexWrap: 'wrap' }}>
      {thumbnail ? (
        <img src={thumbnail} alt={record?.meta.fileName ?? ''} style={{ width: '96px', height: '96px', objectFit: 'cover', borderRadius: '8px' }} />
      ) : null}
      <div style={{ flex: '1 1 8rem', minWidth: 0 }}>
        <p style={{ margin: 0, overflowWrap: 'anywhere' }}>{record?.meta.fileName ?? t('attachment-file')}</p>
        <p class="hint" data-attachment-state={record?.state ?? 'remote'}>
          {state}
        </p>
        {record?.error && <p class="error">{record.error}</p>}
        {openError && (
          <p class="error" role="alert">
            {t('attachment-open-failed')}
          </p>
        )}
      </div>
      <div style={{ display: 'flex', gap: '0.5rem', flexWrap: 'wrap' }}>
        <button type="button" onClick={() => void open()}>
          {record?.hasBytes ? t('attachment-open') : t('attachment-download')}
        </button>
        {onRemove && (
          <button type="button" class="danger" onClick={onRemove}>
            {t('attachment-remove')}
          </button>
        )}
      </div>
    </div>
  );
}
