import { useEffect } from 'react'
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
  IconSun,
  IconUpload,
  IconUsersGroup,
} from '@tabler/icons-react'
import { Route, Router, Switch, useLocation } from 'wouter'
import { useHashLocation } from 'wouter/use-hash-location'
import { useImports } from './api/ImportProvider'
import { isDesktop, onMenu } from './api/transport'
import { ImportDialog } from './components/ImportDialog'
import { AsOfBadge } from './components/AsOfBadge'
import { ClientSearch } from './components/ClientSearch'
import { AgentsRoute } from './routes/Agents'
import { ChangesRoute } from './routes/Changes'
import { ClientRoute } from './routes/Client'
import { DashboardRoute } from './routes/Dashboard'
import { ImportsRoute } from './routes/Imports'
import { OpportunitiesRoute } from './routes/Opportunities'
import { ReportRoute } from './routes/Report'
import { SettingsRoute } from './routes/Settings'

const NAV = [
  { href: '/', label: 'Dashboard', icon: IconChartBar },
  { href: '/opportunities', label: 'Opportunities', icon: IconListDetails },
  { href: '/agents', label: 'Agents', icon: IconUsersGroup },
  { href: '/changes', label: 'What changed', icon: IconArrowsDiff },
  { href: '/imports', label: 'Imports', icon: IconFileImport },
  { href: '/settings', label: 'Settings', icon: IconAdjustments },
] as const

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

function Shell() {
  const [location, navigate] = useLocation()
  const imports = useImports()
  useHotkeys([['mod+O', () => imports.openExport()]])
  const { openLaunchFiles } = imports
  useEffect(() => {
    if (isDesktop) void openLaunchFiles() // files named when the app was started
  }, [openLaunchFiles])
  useEffect(
    () =>
      onMenu((action) => {
        if (action === 'open-export') imports.openExport()
        else if (action === 'opened-files') void imports.openLaunchFiles()
        else if (action === 'try-sample') void imports.trySample()
        else if (action === 'search') document.getElementById('client-search')?.focus()
        else if (action === 'print' && /^\/clients\/[^/]+$/.test(location)) navigate(`${location}/report`)
        else if (action.startsWith('navigate:')) navigate(action === 'navigate:dashboard' ? '/' : `/${action.slice(9)}`)
      }),
    [imports, navigate, location],
  )
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 'sm' }} padding="lg">
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
              <ActionIcon variant="default" size="lg" aria-label="Open export" onClick={imports.openExport}>
                <IconUpload size={18} />
              </ActionIcon>
            </Tooltip>
            <ThemeToggle />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs">
        {NAV.map(({ href, label, icon: Icon }) => (
          <NavLink
            key={href}
            label={label}
            leftSection={<Icon size={18} stroke={1.6} />}
            active={href === '/' ? location === '/' : location.startsWith(href)}
            onClick={() => navigate(href)}
            style={{ borderRadius: 'var(--mantine-radius-md)' }}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>
        <Switch>
          <Route path="/" component={DashboardRoute} />
          <Route path="/imports" component={ImportsRoute} />
          <Route path="/imports/:id" component={ImportsRoute} />
          <Route path="/changes" component={ChangesRoute} />
          <Route path="/changes/:id" component={ChangesRoute} />
          <Route path="/opportunities" component={OpportunitiesRoute} />
          <Route path="/agents" component={AgentsRoute} />
          <Route path="/clients/:id" component={ClientRoute} />
          <Route path="/settings" component={SettingsRoute} />
          <Route>
            <Text>Page not found.</Text>
          </Route>
        </Switch>
      </AppShell.Main>
      <Dropzone.FullScreen onDrop={(files) => void imports.importFiles(files)} activateOnClick={false}>
        <Group justify="center" mih="60vh">
          <Text fz="xl" fw={600}>
            Drop exports to import them
          </Text>
        </Group>
      </Dropzone.FullScreen>
      <ImportDialog />
    </AppShell>
  )
}

export function App() {
  return (
    <Router hook={useHashLocation}>
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
