import { useRef, type MouseEvent } from 'react'
import {
  ArcElement,
  BarElement,
  CategoryScale,
  Chart as ChartJS,
  Legend,
  LinearScale,
  LineElement,
  PointElement,
  Tooltip,
  type ChartData,
  type ChartOptions,
} from 'chart.js'
import { Bar, Doughnut, getElementAtEvent, Line } from 'react-chartjs-2'
import { useComputedColorScheme } from '@mantine/core'
import { formatCompactInr, formatCount, formatInr } from '@shared/format'
import { tickLines } from '../logic/labels'

ChartJS.register(ArcElement, BarElement, CategoryScale, LinearScale, LineElement, PointElement, Tooltip, Legend)

export const PALETTE = ['#4c6ef5', '#fa5252', '#fab005', '#12b886', '#7950f2', '#fd7e14', '#15aabf', '#868e96', '#e64980', '#82c91e']

const formatCompact = (value: number, money?: boolean): string => (money ? formatCompactInr(value) : formatCount(value))

export const useTextColor = () => (useComputedColorScheme('light') === 'dark' ? '#c1c2c5' : '#495057')

interface BarProps {
  labels: string[]
  values: number[]
  horizontal?: boolean
  money?: boolean
  colors?: string[]
  onSelect?: (index: number) => void
  label: string
}

/** A bar chart whose bars lead somewhere when clicked. */
export function BarChart({ labels, values, horizontal, money, colors, onSelect, label }: BarProps) {
  const ref = useRef<ChartJS<'bar'>>(null)
  const text = useTextColor()
  const format = money ? formatInr : formatCount
  const data: ChartData<'bar'> = { labels, datasets: [{ label, data: values, backgroundColor: colors ?? PALETTE[0], borderRadius: 6 }] }
  const options: ChartOptions<'bar'> = {
    indexAxis: horizontal ? 'y' : 'x',
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    plugins: { legend: { display: false }, tooltip: { callbacks: { label: (item) => format(item.raw as number) } } },
    // The value axis shows rupees; the category axis keeps chart.js's own labels.
    scales: {
      [horizontal ? 'x' : 'y']: { ticks: { color: text, callback: (v: string | number) => formatCompact(Number(v), money) } },
      [horizontal ? 'y' : 'x']: {
        ticks: {
          color: text,
          autoSkip: false,
          callback: (_v: string | number, index: number) => tickLines(labels[index] ?? '', horizontal ? 22 : 12),
        },
        grid: { display: false },
      },
    },
    onHover: (event, elements) => {
      const target = event.native?.target as HTMLElement | undefined
      if (target) target.style.cursor = elements.length && onSelect ? 'pointer' : 'default'
    },
  }
  const click = (event: MouseEvent<HTMLCanvasElement>) => {
    const [element] = ref.current ? getElementAtEvent(ref.current, event) : []
    if (element && onSelect) onSelect(element.index)
  }
  return <Bar ref={ref} data={data} options={options} onClick={click} aria-label={label} role="img" />
}

/** A doughnut with its legend, for mixes. */
export function DoughnutChart({
  labels,
  values,
  label,
  onSelect,
}: {
  labels: string[]
  values: number[]
  label: string
  onSelect?: (index: number) => void
}) {
  const ref = useRef<ChartJS<'doughnut'>>(null)
  const text = useTextColor()
  const data: ChartData<'doughnut'> = { labels, datasets: [{ label, data: values, backgroundColor: PALETTE, borderWidth: 0 }] }
  const options: ChartOptions<'doughnut'> = {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    cutout: '62%',
    plugins: {
      legend: { position: 'right', labels: { color: text, boxWidth: 12 } },
      tooltip: { callbacks: { label: (item) => ` ${item.label}: ${formatCount(item.raw as number)}` } },
    },
  }
  const click = (event: MouseEvent<HTMLCanvasElement>) => {
    const [element] = ref.current ? getElementAtEvent(ref.current, event) : []
    if (element && onSelect) onSelect(element.index)
  }
  return <Doughnut ref={ref} data={data} options={options} onClick={click} aria-label={label} role="img" />
}

/** One line per series over shared labels (e.g. each SIP's amount across imports). */
export function LineChart({
  labels,
  series,
  label,
}: {
  labels: string[]
  series: { name: string; values: (number | null)[] }[]
  label: string
}) {
  const text = useTextColor()
  const data: ChartData<'line'> = {
    labels,
    datasets: series.map((s, i) => ({
      label: s.name,
      data: s.values,
      borderColor: PALETTE[i % PALETTE.length],
      backgroundColor: PALETTE[i % PALETTE.length],
      stepped: true,
      spanGaps: true,
    })),
  }
  const options: ChartOptions<'line'> = {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    plugins: {
      legend: { labels: { color: text, boxWidth: 12 } },
      tooltip: { callbacks: { label: (item) => ` SIP ${item.dataset.label}: ${formatInr(item.raw as number)}` } },
    },
    scales: {
      x: { ticks: { color: text } },
      y: { beginAtZero: true, ticks: { color: text, callback: (v) => formatCompactInr(Number(v)) } },
    },
  }
  return <Line data={data} options={options} aria-label={label} role="img" />
}
