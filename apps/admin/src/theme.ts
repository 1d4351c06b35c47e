import { defaultDarkTheme, defaultLightTheme, type RaThemeOptions } from 'react-admin';

import { PALETTES } from './palette';

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
    ...PALETTES.light,
  },
  components: { ...defaultLightTheme.components, ...shared.components },
};

export const darkTheme: RaThemeOptions = {
  ...defaultDarkTheme,
  ...shared,
  palette: {
    ...defaultDarkTheme.palette,
    ...PALETTES.dark,
  },
  components: { ...defaultDarkTheme.components, ...shared.components },
};
