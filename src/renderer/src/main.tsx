import '@mantine/core/styles.css'
import '@mantine/dates/styles.css'
import '@mantine/dropzone/styles.css'
import '@mantine/notifications/styles.css'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { MantineProvider, createTheme } from '@mantine/core'
import { DatesProvider } from '@mantine/dates'
import { Notifications } from '@mantine/notifications'
import 'dayjs/locale/en-in'
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { ImportProvider } from './api/ImportProvider'
import { App } from './App'

const theme = createTheme({
  primaryColor: 'indigo',
  fontFamily: 'Inter, "Segoe UI", system-ui, -apple-system, Roboto, "Noto Sans", sans-serif',
  defaultRadius: 'md',
})

// Everything is local: data only changes when the user imports or edits, so no background refetching.
const queryClient = new QueryClient({ defaultOptions: { queries: { refetchOnWindowFocus: false, retry: false, staleTime: 30_000 } } })

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider theme={theme} defaultColorScheme="light">
      {/* In the sidebar's empty lower part: never over the header's buttons or a row's actions (Log call, Message). */}
      <Notifications position="bottom-left" containerWidth={168} />
      <DatesProvider settings={{ locale: 'en-in', firstDayOfWeek: 0 }}>
        <QueryClientProvider client={queryClient}>
          <ImportProvider>
            <App />
          </ImportProvider>
        </QueryClientProvider>
      </DatesProvider>
    </MantineProvider>
  </StrictMode>,
)
