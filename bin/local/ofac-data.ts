import path from 'node:path';

/** OFAC's published lists, shipped with the repository (see data/ofac/PROVENANCE.md for each file's source and date). */
export const OFAC_DATA_DIR = path.resolve(__dirname, '..', '..', 'data', 'ofac');
/** The newest complete SDN snapshot: what `npm start` loads and `cli screen` uses by default. */
export const CURRENT_SDN_DIR = path.join(OFAC_DATA_DIR, '2024-05-03');
/** The snapshot before it: load it after the current one to see a list change re-screen the book. */
export const PREVIOUS_SDN_DIR = path.join(OFAC_DATA_DIR, '2023-12-28');
/** OFAC's consolidated non-SDN lists (SSI, NS-CMIC, NS-PLC, ...), legacy CSV set: `npm start` loads it beside the SDN list. */
export const NON_SDN_DIR = path.join(OFAC_DATA_DIR, 'consolidated-non-sdn-2025-12');
