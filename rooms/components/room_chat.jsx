// The room's chat panel: LiveKit's chat hook and layout context, with our own markup so
// every label comes from the viewer's catalog (LiveKit's `Chat` prefab hard-codes English).
// Class names are LiveKit's, so its stylesheet and assets/rooms.css still apply.
import { ChatCloseIcon, ChatToggle, useChat, useMaybeLayoutContext } from "@livekit/components-react";
import { useEffect, useMemo, useRef } from "react";

// Only http(s) addresses become links; a trailing full stop or bracket stays text. React
// renders every other part as text, so markup in a message is shown, never interpreted.
const LINK = /(https?:\/\/[^\s<>"']*[^\s<>"'.,;:!?)\]}])/i;

function withLinks(text) {
  return String(text).split(LINK).map((part, i) =>
    i % 2 === 1 ? (
      <a key={i} href={part} target="_blank" rel="noopener noreferrer" className="lk-chat-link">
        {part}
      </a>
    ) : (
      part
    ),
  );
}

// A name and time over a message unless the same person wrote the one before it less
// than a minute earlier.
const GROUP_MS = 60_000;

function Entry({ entry, previous, locale, editedLabel }) {
  const sameAuthor = previous && previous.from?.identity === entry.from?.identity;
  const showMeta = !sameAuthor || entry.timestamp - previous.timestamp >= GROUP_MS;
  const time = new Date(entry.timestamp);
  const edited = Boolean(entry.editTimestamp);
  return (
    <li
      className="lk-chat-entry"
      title={time.toLocaleTimeString(locale, { timeStyle: "full" })}
      data-lk-message-origin={entry.from?.isLocal ? "local" : "remote"}
    >
      {(showMeta || edited) && (
        <span className="lk-meta-data">
          {showMeta && (
            <strong className="lk-participant-name">
              {entry.from?.name || entry.from?.identity}
            </strong>
          )}
          <span className="lk-timestamp">
            {edited && `${editedLabel} `}
            {time.toLocaleTimeString(locale, { timeStyle: "short" })}
          </span>
        </span>
      )}
      <span className="lk-message-body">{withLinks(entry.message)}</span>
    </li>
  );
}

// Stays mounted while closed, so it keeps counting what arrives for the toggle's badge.
export function RoomsChat({ labels, locale, ...props }) {
  const { chatMessages, send, isSending } = useChat();
  const layout = useMaybeLayoutContext();
  const open = layout?.widget.state?.showChat ?? false;
  const list = useRef(null);
  const input = useRef(null);
  const lastRead = useRef(0);

  useEffect(() => {
    list.current?.scrollTo({ top: list.current.scrollHeight });
  }, [chatMessages]);

  useEffect(() => {
    const last = chatMessages[chatMessages.length - 1];
    if (!layout || !last) return;
    if (open) {
      lastRead.current = last.timestamp;
      return;
    }
    const unread = chatMessages.filter((m) => m.timestamp > lastRead.current).length;
    if (unread > 0 && layout.widget.state?.unreadMessages !== unread) {
      layout.widget.dispatch?.({ msg: "unread_msg", count: unread });
    }
  }, [chatMessages, open, layout?.widget]);

  async function submit(event) {
    event.preventDefault();
    const text = input.current?.value ?? "";
    if (text.trim() === "") return;
    await send(text);
    input.current.value = "";
    input.current.focus();
  }

  const style = useMemo(() => ({ display: open ? "grid" : "none" }), [open]);
  return (
    <div {...props} className="lk-chat" style={style}>
      <div className="lk-chat-header">
        {labels.title}
        {layout && (
          <ChatToggle className="lk-close-button" aria-label={labels.close} title={labels.close}>
            <ChatCloseIcon />
          </ChatToggle>
        )}
      </div>
      <ul className="lk-list lk-chat-messages" ref={list}>
        {chatMessages.map((entry, i) => (
          <Entry
            key={entry.id ?? i}
            entry={entry}
            previous={chatMessages[i - 1]}
            locale={locale}
            editedLabel={labels.edited}
          />
        ))}
      </ul>
      <form className="lk-chat-form" onSubmit={submit}>
        <input
          className="lk-form-control lk-chat-form-input"
          disabled={isSending}
          ref={input}
          type="text"
          placeholder={labels.placeholder}
          aria-label={labels.placeholder}
          // The room's keyboard shortcuts must not fire while someone types.
          onInput={(ev) => ev.stopPropagation()}
          onKeyDown={(ev) => ev.stopPropagation()}
          onKeyUp={(ev) => ev.stopPropagation()}
        />
        <button type="submit" className="lk-button lk-chat-form-button" disabled={isSending}>
          {labels.send}
        </button>
      </form>
    </div>
  );
}
