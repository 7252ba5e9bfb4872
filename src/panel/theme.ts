import type { BenchMode } from '../core/bench/events';

/** The chart colours, read from VS Code's theme variables (uPlot draws on a canvas, which cannot use var()). */
export interface Palette {
  foreground: string;
  grid: string;
  blue: string;
  orange: string;
  purple: string;
  red: string;
  fontFamily: string;
  mode: Record<BenchMode, string>;
  /** Colours cycled over processes, so that the threads of one process share a colour. */
  processes: string[];
}

function cssVar(style: CSSStyleDeclaration, name: string, fallback: string): string {
  return style.getPropertyValue(name).trim() || fallback;
}

export function readPalette(): Palette {
  const style = getComputedStyle(document.body);
  const foreground = cssVar(style, '--vscode-editor-foreground', '#cccccc');
  const blue = cssVar(style, '--vscode-charts-blue', '#3794ff');
  const green = cssVar(style, '--vscode-charts-green', '#89d185');
  const orange = cssVar(style, '--vscode-charts-orange', '#d18616');
  const purple = cssVar(style, '--vscode-charts-purple', '#b180d7');
  const red = cssVar(style, '--vscode-charts-red', '#f14c4c');
  const yellow = cssVar(style, '--vscode-charts-yellow', '#cca700');
  return {
    foreground,
    grid: cssVar(style, '--vscode-panel-border', 'rgba(128, 128, 128, 0.35)'),
    blue,
    orange,
    purple,
    red,
    fontFamily: cssVar(style, '--vscode-font-family', 'sans-serif'),
    mode: {
      sequential: yellow,
      threads: blue,
      processes: green,
      asyncio: purple,
      interpreters: orange,
      worker_threads: blue,
      child_process: green,
      async: purple,
      dask: red,
    },
    processes: [blue, green, orange, purple, yellow, red],
  };
}

/** The colour with an alpha, for fills; works for the #rgb, #rrggbb and rgb() forms themes use. */
export function withAlpha(color: string, alpha: number): string {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})([0-9a-f]{2})?$/i.exec(color);
  if (hex?.[1]) {
    const digits = hex[1].length === 3 ? [...hex[1]].map((digit) => digit + digit).join('') : hex[1];
    const [r, g, b] = [0, 2, 4].map((start) => parseInt(digits.slice(start, start + 2), 16));
    return `rgba(${r}, ${g}, ${b}, ${alpha})`;
  }
  const rgb = /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)/i.exec(color);
  if (rgb) return `rgba(${rgb[1]}, ${rgb[2]}, ${rgb[3]}, ${alpha})`;
  return color;
}
