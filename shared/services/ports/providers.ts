export interface EmailMessage {
  from: string;
  to: string;
  cc?: string[];
  subject: string;
  html: string;
  text: string;
  configurationSet?: string;
  /** Message tags flow back in SES events, so a delivery event finds its notice. */
  tags?: Record<string, string>;
}

export interface SmsMessage {
  phoneNumber: string;
  text: string;
  senderId?: string;
}

/** What a send is told to do on its way out. */
export interface SendHooks {
  /**
   * Awaited once the request is built and signed, immediately before it is transmitted: the last moment at
   * which "not sent" is certain. A throw stops the send (nothing leaves this machine) and is thrown as is.
   */
  beforeTransmit?: () => Promise<void>;
}

/** The two ways the product reaches a person; the sender service depends on this, not on the SDKs. */
export interface MessageProviders {
  sendEmail(message: EmailMessage, hooks?: SendHooks): Promise<{ messageId: string }>;
  sendSms(message: SmsMessage, hooks?: SendHooks): Promise<{ messageId: string }>;
  /** Whether the number opted out of SMS with the provider (replying STOP, or the carrier's list). */
  isPhoneOptedOut(phoneNumber: string): Promise<boolean>;
}
