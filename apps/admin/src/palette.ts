/**
 * Brand colours per mode. Kept apart from theme.ts (which builds on
 * react-admin's themes) so the login page can use them without pulling
 * react-admin into the first load.
 */
export const PALETTES = {
  light: { primary: { main: '#1565c0' }, secondary: { main: '#00897b' } },
  dark: { primary: { main: '#90caf9' }, secondary: { main: '#4db6ac' } },
} as const;
