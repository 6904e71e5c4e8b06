/** Props for a Mantine `NumberInput` of rupees: Indian grouping as typed (`1,00,000`, `12,34,567`). */
export const INR_GROUPING = { thousandSeparator: ',', thousandsGroupStyle: 'lakh', allowNegative: false } as const
