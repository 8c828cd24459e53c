const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/** A spinner on stderr while waiting; silent when stderr is not a terminal (pipes, CI). */
export function startSpinner(label: string): () => void {
  if (!process.stderr.isTTY) return () => {};
  let i = 0;
  const timer = setInterval(() => {
    process.stderr.write(`\r${FRAMES[i++ % FRAMES.length]} ${label}`);
  }, 80);
  return () => {
    clearInterval(timer);
    process.stderr.write(`\r${" ".repeat(label.length + 2)}\r`);
  };
}
