/** A progress bar on stderr for long runs; silent when stderr is not a terminal. */
export class ProgressBar {
  private last = 0;
  private done = 0;
  constructor(
    private readonly stream: { write(s: string): unknown; isTTY?: boolean },
    private readonly label: string,
    private readonly total: number,
  ) {}

  /** Advances by `n` and redraws at most ten times a second. */
  tick(n = 1): void {
    this.done += n;
    const now = Date.now();
    if (!this.stream.isTTY || (now - this.last < 100 && this.done < this.total)) return;
    this.last = now;
    const width = 30;
    const frac = this.total > 0 ? Math.min(1, this.done / this.total) : 1;
    const fill = Math.round(frac * width);
    this.stream.write(
      `\r${this.label} [${'#'.repeat(fill)}${'-'.repeat(width - fill)}] ${this.done}/${this.total}`,
    );
  }

  /** Ends the bar's line. */
  finish(): void {
    if (this.stream.isTTY) this.stream.write('\n');
  }
}
