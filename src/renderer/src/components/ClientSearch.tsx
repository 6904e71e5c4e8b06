import { useState } from 'react'
import { Autocomplete } from '@mantine/core'
import { useDebouncedCallback, useHotkeys } from '@mantine/hooks'
import { IconSearch } from '@tabler/icons-react'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { navigate } from '../api/hashLocation'
import { invoke } from '../api/transport'
import { clientPath } from '../logic/labels'
import { agentLabel } from '@shared/detection'

/**
 * Finds a client — a user_id with its agent, each listed with it — by name, phone, email, user id
 * or SIP id, and opens their page: Ctrl+K, type,
 * Enter opens the first match (even when pressed before the matches arrive). It navigates
 * without following the location, so a change of screen does not re-render it.
 */
export function ClientSearch() {
  const [value, setValue] = useState('')
  const [query, setQuery] = useState('')
  const search = useDebouncedCallback((text: string) => setQuery(text.trim()), 200)
  const searchFor = (text: string) => ({
    queryKey: ['clients:search', text],
    queryFn: () => invoke('clients:search', { query: text, limit: 10 }),
  })
  const queryClient = useQueryClient()
  const matches = useQuery({ ...searchFor(query), enabled: query.length >= 2 })
  useHotkeys([['mod+K', () => document.getElementById('client-search')?.focus()]], [])
  const open = (path: string) => {
    setValue('')
    setQuery('')
    document.getElementById('client-search')?.blur()
    navigate(path)
  }
  const options = (matches.data ?? []).map((m) => ({
    value: clientPath(m),
    label: `${m.name ?? m.user_id}${m.phone_number ? ` · ${m.phone_number}` : ''} · ${agentLabel(m)} · ${m.sips} SIP${m.sips === 1 ? '' : 's'}`,
  }))
  return (
    <Autocomplete
      id="client-search"
      aria-label="Search clients"
      placeholder="Search clients (Ctrl+K)"
      leftSection={<IconSearch size={14} />}
      w={300}
      value={value}
      onChange={(text) => {
        setValue(text)
        search(text)
      }}
      onKeyDown={(event) => {
        // Enter with no option highlighted opens the first match, once the search has answered.
        if (event.key !== 'Enter' || event.currentTarget.getAttribute('aria-activedescendant')) return
        const text = value.trim()
        if (text.length < 2) return
        event.preventDefault()
        void queryClient.fetchQuery(searchFor(text)).then((found) => found[0] && open(clientPath(found[0])))
      }}
      data={options}
      filter={({ options: all }) => all}
      onOptionSubmit={open}
    />
  )
}
