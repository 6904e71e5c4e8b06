import { useRef, type MouseEvent } from 'react'
import { BarController, Chart as ChartJS, LineController, type ChartData, type ChartOptions } from 'chart.js'
import { Bar, Line } from 'react-chartjs-2'
import { CALL_OUTCOMES, OUTCOME_LABELS, type CallOutcome } from '@shared/detection'
import { formatCompactInr, formatCount, formatDayMonth, formatInr } from '@shared/format'
import type { ResultsWeek } from '@shared/results'
import { useTextColor } from './charts'

// A bar chart with a line in it needs both controllers; the elements and scales are registered in `charts.tsx`.
ChartJS.register(BarController, LineController)

export const OUTCOME_COLORS: Record<CallOutcome, string> = {
  reached: '#4c6ef5',
  call_back: '#15aabf',
  converted: '#12b886',
  no_answer: '#adb5bd',
  not_interested: '#fa5252',
}
const WON_COLOR = '#fab005'

/** SPEC §5a: calls per week stacked by outcome, and ₹ a year won as a line on its own axis. */
export function WeeklyChart({ weeks }: { weeks: readonly ResultsWeek[] }) {
  const text = useTextColor()
  const data = {
    labels: weeks.map((w) => formatDayMonth(w.week_start)),
    datasets: [
      ...CALL_OUTCOMES.map((o) => ({
        type: 'bar' as const,
        label: OUTCOME_LABELS[o],
        data: weeks.map((w) => w.calls[o]),
        backgroundColor: OUTCOME_COLORS[o],
        stack: 'calls',
        yAxisID: 'y',
        order: 2,
      })),
      {
        type: 'line' as const,
        label: '₹ a year won',
        data: weeks.map((w) => w.won_annual),
        borderColor: WON_COLOR,
        backgroundColor: WON_COLOR,
        yAxisID: 'won',
        order: 1,
      },
    ],
  } as unknown as ChartData<'bar'>
  const options: ChartOptions<'bar'> = {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    plugins: {
      legend: { position: 'bottom', labels: { color: text, boxWidth: 12 } },
      tooltip: {
        callbacks: {
          label: (item) =>
            ` ${item.dataset.label}: ${item.dataset.yAxisID === 'won' ? formatInr(item.raw as number) : formatCount(item.raw as number)}`,
        },
      },
    },
    scales: {
      x: { stacked: true, ticks: { color: text }, grid: { display: false } },
      y: { stacked: true, beginAtZero: true, ticks: { color: text, precision: 0 }, title: { display: true, text: 'calls', color: text } },
      won: {
        // With nothing won yet the axis would count ₹0 to ₹1 in tenths: the line lies on the calls' zero instead.
        display: weeks.some((w) => w.won_annual > 0),
        position: 'right',
        beginAtZero: true,
        grid: { display: false },
        ticks: { color: text, precision: 0, callback: (v) => formatCompactInr(Number(v)) },
        title: { display: true, text: '₹ a year won', color: text },
      },
    },
  }
  return (
    <Bar
      data={data}
      options={options}
      role="img"
      aria-label="Calls per week by outcome, with ₹ a year won; the table below has the figures"
    />
  )
}

/** One book figure across imports; a point opens that import's What changed. */
export function ImportLine({
  labels,
  values,
  money,
  label,
  color,
  onSelect,
}: {
  labels: string[]
  values: (number | null)[]
  money?: boolean
  label: string
  color: string
  onSelect: (index: number) => void
}) {
  const ref = useRef<ChartJS<'line'>>(null)
  const text = useTextColor()
  const format = money ? formatCompactInr : formatCount
  const data: ChartData<'line'> = {
    labels,
    datasets: [{ label, data: values, borderColor: color, backgroundColor: color, pointRadius: 4, pointHoverRadius: 6 }],
  }
  const options: ChartOptions<'line'> = {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    plugins: {
      legend: { display: false },
      tooltip: { callbacks: { label: (item) => ` ${money ? formatInr(item.raw as number) : formatCount(item.raw as number)}` } },
    },
    scales: {
      x: { ticks: { color: text, maxRotation: 0, autoSkip: true, maxTicksLimit: 4, font: { size: 10 } }, grid: { display: false } },
      y: { ticks: { color: text, maxTicksLimit: 4, font: { size: 10 }, callback: (v) => format(Number(v)) } },
    },
    interaction: { mode: 'index', intersect: false },
    onHover: (event, elements) => {
      const target = event.native?.target as HTMLElement | undefined
      if (target) target.style.cursor = elements.length ? 'pointer' : 'default'
    },
  }
  // The nearest import along the axis: a small chart's points are small targets.
  const click = (event: MouseEvent<HTMLCanvasElement>) => {
    const [element] = ref.current?.getElementsAtEventForMode(event.nativeEvent, 'index', { intersect: false }, false) ?? []
    if (element) onSelect(element.index)
  }
  return (
    <Line
      ref={ref}
      data={data}
      options={options}
      onClick={click}
      role="img"
      aria-label={`${label} across imports; the table below has the figures`}
    />
  )
}
