import type { RunningServer } from './listen';
import { startHisSimulator } from './his/server';
import { startIdentitySimulator } from './identity/server';
import { startSmsSimulator } from './sms/server';
import { startVoiceSimulator } from './voice/server';
import { startWechatSimulator } from './wechat/server';

export interface Simulators {
  his: RunningServer;
  wechat: RunningServer;
  sms: RunningServer;
  identity: RunningServer;
  voice: RunningServer;
  close(): Promise<void>;
}

export interface SimulatorOptions {
  hisPort?: number;
  /** DEMO_HIS_SECRET: derives each demo hospital's signing secret. */
  hisSigningSeed: string;
  wechatPort?: number;
  smsPort?: number;
  identityPort?: number;
  wechat: { appId: string; secret: string };
  smsApiKey: string;
  identityApiKey: string;
  voicePort?: number;
  voiceApiKey: string;
}

/** Starts the HIS, WeChat, SMS, identity-verification and voice simulators; port 0 picks free ports (tests). */
export async function startSimulators(o: SimulatorOptions): Promise<Simulators> {
  const [his, wechat, sms, identity, voice] = await Promise.all([
    startHisSimulator(o.hisPort ?? 0, { signingSeed: o.hisSigningSeed }),
    startWechatSimulator(o.wechat.appId, o.wechat.secret, o.wechatPort ?? 0),
    startSmsSimulator(o.smsApiKey, o.smsPort ?? 0),
    startIdentitySimulator(o.identityApiKey, o.identityPort ?? 0),
    startVoiceSimulator(o.voiceApiKey, o.voicePort ?? 0),
  ]);
  const sims: Simulators = {
    his,
    wechat,
    sms,
    identity,
    voice,
    // Closes the simulators running now: a test may have restarted one in place.
    close: async () => {
      await Promise.all([
        sims.his.close(),
        sims.wechat.close(),
        sims.sms.close(),
        sims.identity.close(),
        sims.voice.close(),
      ]);
    },
  };
  return sims;
}
