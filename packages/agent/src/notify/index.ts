/** Desktop notifications for fired alerts (see notifier.ts). */
export {
  createCommandRunner,
  createNotifier,
  runCommand,
  type Notifier,
  type NotifierOptions,
  type RunCommand,
} from './notifier.js';
export { boundNotification, notifierCommand, type NotificationText } from './notify-commands.js';
