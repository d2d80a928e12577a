/**
 * Text that wraps only between words: each word is kept whole on a line (even one with hyphens,
 * like `--protected-mode`), and only a word longer than the whole line is broken.
 */
export function Tokens({ text }: { text: string }) {
  const words = text.split(' ');
  return (
    <>
      {words.map((word, i) => (
        <span key={i}>
          {i > 0 ? ' ' : ''}
          <span className="token">{word}</span>
        </span>
      ))}
    </>
  );
}
