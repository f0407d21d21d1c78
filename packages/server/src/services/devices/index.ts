/** Devices: pairing agents, listing devices with their agents' status, revoking. */
export { pairingService, type Pairing, type ClaimResult, type PairedDevice, type StartedPairing } from './pairing.js';
export { devicesService, type Devices, type DeviceStatus, type DeviceView } from './devices.js';
