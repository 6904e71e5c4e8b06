import { memo, useEffect, type ComponentType } from 'react'
import { ActionIcon, AppShell, Group, NavLink, Text, Title, Tooltip, useComputedColorScheme, useMantineColorScheme } from '@mantine/core'
import { Dropzone } from '@mantine/dropzone'
import { useHotkeys } from '@mantine/hooks'
import {
  IconAdjustments,
  IconArrowsDiff,
  IconChartBar,
  IconFileImport,
  IconListDetails,
  IconMoon,
  IconPhoneCall,
  IconTrendingUp,
  IconSun,
  IconUpload,
  IconUsersGroup,
} from '@tabler/icons-react'
import { Link, Route, Router, Switch, useLocation } from 'wouter'
import { currentPath, navigate, useHashLocation, useHashSearch } from './api/hashLocation'
import { useImports } from './api/ImportProvider'
import { onMenu } from './api/transport'
import { useCapabilities } from './api/queries'
import { ImportDialog } from './components/ImportDialog'
import { AsOfBadge } from './components/AsOfBadge'
import { ClientSearch } from './components/ClientSearch'
import { AgentsRoute } from './routes/Agents'
import { ChangesRoute } from './routes/Changes'
import { ClientRoute } from './routes/Client'
import { DashboardRoute } from './routes/Dashboard'
import { ImportsRoute } from './routes/Imports'
import { KeptOpportunities } from './routes/Opportunities'
import { ReportRoute } from './routes/Report'
import { ResultsRoute } from './routes/Results'
import { SettingsRoute } from './routes/Settings'
import { HomeRoute, TodayRoute } from './routes/Today'
import { TodayBadge } from './components/today/TodayBadge'

/** A screen drawn outside the switch (see `SCREENS`). */
function NoScreen() {
  return null
}

interface Screen {
  path: string
  component: ComponentType
  /** Screens with a sidebar item, in sidebar order; the item opens `path` in its default state. */
  nav?: { label: string; icon: typeof IconChartBar; badge?: ComponentType }
}

/** Every screen inside the app's chrome. Add a screen here: its route and, if it has one, its sidebar item. */
const SCREENS: Screen[] = [
  { path: '/', component: HomeRoute },
  { path: '/today', component: TodayRoute, nav: { label: 'Today', icon: IconPhoneCall, badge: TodayBadge } },
  { path: '/dashboard', component: DashboardRoute, nav: { label: 'Dashboard', icon: IconChartBar } },
  // Drawn by `KeptOpportunities`, outside the switch, so it can stay drawn while a client is shown.
  { path: '/opportunities', component: NoScreen, nav: { label: 'Opportunities', icon: IconListDetails } },
  { path: '/agents', component: AgentsRoute, nav: { label: 'Agents', icon: IconUsersGroup } },
  { path: '/results', component: ResultsRoute, nav: { label: 'Results', icon: IconTrendingUp } },
  { path: '/changes', component: ChangesRoute, nav: { label: 'What changed', icon: IconArrowsDiff } },
  { path: '/changes/:id', component: ChangesRoute },
  { path: '/imports', component: ImportsRoute, nav: { label: 'Imports', icon: IconFileImport } },
  { path: '/imports/:id', component: ImportsRoute },
  { path: '/clients/:id', component: ClientRoute },
  { path: '/settings', component: SettingsRoute, nav: { label: 'Settings', icon: IconAdjustments } },
]

function ThemeToggle() {
  const { setColorScheme } = useMantineColorScheme()
  const scheme = useComputedColorScheme('light')
  return (
    <Tooltip label={scheme === 'dark' ? 'Light theme' : 'Dark theme'}>
      <ActionIcon
        variant="default"
        size="lg"
        aria-label="Toggle theme"
        onClick={() => setColorScheme(scheme === 'dark' ? 'light' : 'dark')}
      >
        {scheme === 'dark' ? <IconSun size={18} /> : <IconMoon size={18} />}
      </ActionIcon>
    </Tooltip>
  )
}

/** The header does not change with the screen: kept out of the re-render every navigation makes. */
const Header = memo(function Header() {
  const { openExport } = useImports()
  return (
    <AppShell.Header>
      <Group h="100%" px="md" justify="space-between">
        <Group gap="md">
          <Title order={3} fw={700}>
            Partner Dashboard
          </Title>
          <AsOfBadge />
        </Group>
        <Group gap="xs">
          <ClientSearch />
          <Tooltip label="Open export (Ctrl+O)">
            <ActionIcon variant="default" size="lg" aria-label="Open export" onClick={openExport}>
              <IconUpload size={18} />
            </ActionIcon>
          </Tooltip>
          <ThemeToggle />
        </Group>
      </Group>
    </AppShell.Header>
  )
})

/** The whole-window drop target, out of the Tab order and of every navigation's re-render. */
const Drop = memo(function Drop() {
  const { importFiles } = useImports()
  return (
    <Dropzone.FullScreen onDrop={(files) => void importFiles(files)} activateOnClick={false} activateOnKeyboard={false}>
      <Group justify="center" mih="60vh">
        <Text fz="xl" fw={600}>
          Drop exports to import them
        </Text>
      </Group>
    </Dropzone.FullScreen>
  )
})

/** The sidebar: the only part of the chrome that follows the address. */
function Sidebar() {
  const [location] = useLocation()
  return (
    <AppShell.Navbar p="xs" component="nav" aria-label="Screens">
      {SCREENS.map(({ path, nav }) =>
        nav ? (
          <NavLink
            key={path}
            component={Link}
            href={path}
            label={nav.label}
            leftSection={<nav.icon size={18} stroke={1.6} />}
            rightSection={nav.badge ? <nav.badge /> : null}
            active={location.startsWith(path)}
            style={{ borderRadius: 'var(--mantine-radius-md)' }}
          />
        ) : null,
      )}
    </AppShell.Navbar>
  )
}

/** The chrome does not follow the address (the sidebar and the screen do): a navigation re-renders only those. */
function Shell() {
  const imports = useImports()
  useHotkeys([['mod+O', () => imports.openExport()]])
  const { openLaunchFiles } = imports
  const { launch_files: launchFiles } = useCapabilities()
  useEffect(() => {
    if (launchFiles) void openLaunchFiles() // files named when the app was started
  }, [openLaunchFiles, launchFiles])
  useEffect(
    () =>
      onMenu((action) => {
        switch (action.kind) {
          case 'open-export':
            return imports.openExport()
          case 'opened-files':
            return void imports.openLaunchFiles()
          case 'try-sample':
            return void imports.trySample()
          case 'search':
            return document.getElementById('client-search')?.focus()
          case 'print':
            if (/^\/clients\/[^/]+$/.test(currentPath())) navigate(`${currentPath()}/report`)
            return
          case 'navigate':
            return navigate(`/${action.screen}`)
        }
      }),
    [imports],
  )
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 200, breakpoint: 'sm' }} padding="md">
      <Header />
      <Sidebar />
      <AppShell.Main>
        <Switch>
          {SCREENS.map(({ path, component }) => (
            <Route key={path} path={path} component={component} />
          ))}
          <Route>
            <Text>Page not found.</Text>
          </Route>
        </Switch>
        <KeptOpportunities />
      </AppShell.Main>
      <Drop />
      <ImportDialog />
    </AppShell>
  )
}

export function App() {
  return (
    <Router hook={useHashLocation} searchHook={useHashSearch}>
      <Switch>
        {/* The printable report stands alone, without the app's chrome. */}
        <Route path="/clients/:id/report" component={ReportRoute} />
        <Route>
          <Shell />
        </Route>
      </Switch>
    </Router>
  )
}
