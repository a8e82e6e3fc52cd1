export interface Upload {
	key: string;
	name: string;
	size: number;
	/** 0–1 while uploading. */
	progress: number;
	id: string | null;
	error: string | null;
	xhr: XMLHttpRequest | null;
}

let seq = 0;

function messageOf(xhr: XMLHttpRequest): string {
	try {
		const body = JSON.parse(xhr.responseText) as { error?: { message?: string } };
		if (body.error?.message) return body.error.message;
	} catch {
		// not JSON
	}
	return xhr.status === 413 ? 'The file is too large.' : 'The upload failed. Try again.';
}

/**
 * Files attached to the message being written: each is uploaded at once (raw body, name in
 * X-Filename) with its progress shown; the ids go with the message. Removing one before sending
 * only drops it here — an upload nothing claims is deleted by the server later.
 */
export class Uploads {
	items = $state<Upload[]>([]);

	get busy() {
		return this.items.some((u) => !u.id && !u.error);
	}
	get ids() {
		return this.items.flatMap((u) => (u.id ? [u.id] : []));
	}

	add(files: Iterable<File>) {
		for (const file of files) this.#upload(file);
	}

	#patch(key: string, patch: Partial<Upload>) {
		this.items = this.items.map((u) => (u.key === key ? { ...u, ...patch } : u));
	}

	#upload(file: File) {
		const key = `u${++seq}`;
		const xhr = new XMLHttpRequest();
		this.items = [
			...this.items,
			{ key, name: file.name, size: file.size, progress: 0, id: null, error: null, xhr }
		];
		xhr.open('POST', '/api/attachments');
		xhr.setRequestHeader('x-filename', encodeURIComponent(file.name));
		if (file.type) xhr.setRequestHeader('content-type', file.type);
		xhr.upload.onprogress = (e) => {
			if (e.lengthComputable) this.#patch(key, { progress: e.loaded / e.total });
		};
		xhr.onload = () => {
			if (xhr.status >= 200 && xhr.status < 300) {
				const body = JSON.parse(xhr.responseText) as { id: string };
				this.#patch(key, { id: body.id, progress: 1, xhr: null });
			} else this.#patch(key, { error: messageOf(xhr), xhr: null });
		};
		xhr.onerror = () => this.#patch(key, { error: 'The upload failed. Try again.', xhr: null });
		xhr.send(file);
	}

	remove(key: string) {
		this.items.find((u) => u.key === key)?.xhr?.abort();
		this.items = this.items.filter((u) => u.key !== key);
	}

	clear() {
		for (const u of this.items) u.xhr?.abort();
		this.items = [];
	}
}

export function formatSize(bytes: number | bigint): string {
	const n = Number(bytes);
	if (n < 1024) return `${n} B`;
	if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} KB`;
	return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
