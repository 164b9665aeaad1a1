/**
 * The server's alert settings for the lab (`weft start`). The seed's thresholds (100 drops/s, 5% DNS
 * failures, 50 failed connects/s, over 5 minutes for 5 minutes) fit a production cluster; the lab runs a
 * hundredth of that traffic, so its default faults (2.5 drops/s, 1.4% failed lookups, 1.5 failed
 * connects/s: labAlertProfile.test.ts derives them from the simulation of the lab's topology, and the
 * simulated lab's collectors report all 2.5 drops/s) would never cross them. These do, by a factor of
 * at least two, and fire within two minutes of the faults starting.
 * Field names are the server configuration's; WEFT_ALERT_* variables still override them.
 */
export const LAB_ALERT_PROFILE = Object.freeze({
  alertWindowS: 60,
  alertForS: 60,
  alertIntervalS: 15,
  alertDropRate: 0.5,
  alertDnsFailureRatio: 0.005,
  alertTcpFailureRate: 0.5,
});

export type LabAlertProfile = typeof LAB_ALERT_PROFILE;
