/** Series colours, chosen to stay distinguishable on white and to avoid the red used for faults. */
const PALETTE = [
  '#1f77b4',
  '#2ca02c',
  '#9467bd',
  '#ff7f0e',
  '#17becf',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#393b79',
];

export function colorAt(i: number): string {
  return PALETTE[i % PALETTE.length]!;
}
