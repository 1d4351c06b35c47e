import { defaultDarkTheme, defaultLightTheme, type RaThemeOptions } from 'react-admin';

// Dense tables and a narrower sidebar keep every list readable at 1280 px.
const shared: RaThemeOptions = {
  sidebar: { width: 210, closedWidth: 55 },
  components: {
    MuiTableCell: { styleOverrides: { sizeSmall: { padding: '6px 10px' } } },
  },
};

export const lightTheme: RaThemeOptions = {
  ...defaultLightTheme,
  ...shared,
  palette: {
    ...defaultLightTheme.palette,
    primary: { main: '#1565c0' },
    secondary: { main: '#00897b' },
  },
  components: { ...defaultLightTheme.components, ...shared.components },
};

export const darkTheme: RaThemeOptions = {
  ...defaultDarkTheme,
  ...shared,
  palette: {
    ...defaultDarkTheme.palette,
    primary: { main: '#90caf9' },
    secondary: { main: '#4db6ac' },
  },
  components: { ...defaultDarkTheme.components, ...shared.components },
};
