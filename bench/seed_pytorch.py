"""The seed notebook (../shared/seed) as a script, for `make bench-pytorch`.

The model, transforms, seed and hyperparameters are the notebook's, untouched; what is added:
- MNIST is read from ffnb's verified data directory (no download), through torchvision's own
  MNIST class, by pointing `root` at a folder laid out as torchvision expects;
- wall-clock timing around each phase, printed as `phase: seconds`;
- the thread count set to match ffnb's (`--threads`).
Per-epoch loss lines are kept as the notebook prints them (to stdout); timings go to stderr as
`BENCH phase seconds` lines that bench/run-pytorch reads.
"""
import argparse
import os
import resource
import sys
import tempfile
import time

parser = argparse.ArgumentParser()
parser.add_argument("--data", required=True, help="ffnb's data directory (holding mnist/)")
parser.add_argument("--threads", type=int, default=os.cpu_count())
parser.add_argument("--epochs", type=int, default=350)
args = parser.parse_args()

t0 = time.perf_counter()
import torch
import torchvision
import torch.optim as optim
from torch.utils.data import DataLoader
from torchvision.datasets import MNIST
import torchvision.transforms as transforms
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.functional import relu

torch.set_num_threads(args.threads)
print(f"BENCH import {time.perf_counter() - t0:.3f}", file=sys.stderr)

# torchvision wants ROOT/MNIST/raw/<files>; link ffnb's verified files there.
root = tempfile.mkdtemp(prefix="ffnb-torch-")
raw = os.path.join(root, "MNIST", "raw")
os.makedirs(raw)
for name in ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]:
    os.symlink(os.path.abspath(os.path.join(args.data, "mnist", name)), os.path.join(raw, name))

# ---- In [2] ----
t = time.perf_counter()
torch.manual_seed(0)
transform = torchvision.transforms.Compose([transforms.ToTensor(),
                                            transforms.Normalize((0.1,),(0.1,)),
                                               transforms.Lambda(lambda x: torch.flatten(x))])
train_data = MNIST(root = root, train= True, transform = transform ,download=False)
test_data = MNIST(root = root, train= False, transform = transform ,download=False)

train_size = 10000
test_size = 1000
train_loader = DataLoader(dataset=train_data, batch_size=train_size, shuffle=True)
test_loader = DataLoader(dataset=test_data, batch_size=test_size, shuffle=True)

device = "cuda" if torch.cuda.is_available() else "cpu"
print(f"BENCH data-setup {time.perf_counter() - t:.3f}", file=sys.stderr)

# ---- In [3] ----
class Learning(nn.Module):
    def __init__(self, in_features, out_features, num_epochs = 10 ,threshold = 2.0, lr =0.01):
        super().__init__()
        self.w = torch.nn.Parameter(torch.randn(out_features, in_features))
        self.b = torch.nn.Parameter(torch.randn(out_features))
        self.lr = lr
        self.optimizer = optim.Adam(self.parameters(), lr = self.lr)
        self.threshold = threshold
        self.num_epochs = num_epochs
        self.eps = 1e-4


    def forward(self, x):
        x_norm = torch.norm(x, 2, 1, keepdim=True)
        x_ = x/(x_norm + self.eps)
        return relu((x_ @ self.w.T) + self.b.unsqueeze(dim = 0))

    def learn(self, x_pos, x_neg):
        for epoch in range(self.num_epochs):
            g_pos = torch.pow(self.forward(x_pos), 2).mean(dim = 1)
            g_neg = torch.pow(self.forward(x_neg),2).mean(dim = 1)

            loss = torch.log(1 + torch.exp(torch.cat([self.threshold - g_pos ,
                                                       g_neg - self.threshold]))).mean()
            self.optimizer.zero_grad()
            loss.backward()
            self.optimizer.step()

            print(f"{epoch+1}/{self.num_epochs} --- Loss: {loss.item():.4f}")

        return  (
            self.forward(x_pos).detach(),
              self.forward(x_neg).detach()
              )

# ---- In [4] ----
class FF(nn.Module):
    def __init__(self, hidden_dims, device = 'cpu', num_epochs = 10, lr = 0.01, threshold = 2.0):
        super().__init__()
        self.layers = nn.ModuleList()
        self.device = device
        self.lr = lr
        for i in range(len(hidden_dims)-1):
            self.layers.append(Learning(hidden_dims[i], hidden_dims[i+1], num_epochs = num_epochs, lr = self.lr, threshold = threshold).to(self.device))
        self.num_class = 10
        print(f"---- Device: {device} ----")

    def Generate_data(self, x, y):
        x_s = x.clone()
        x_s[range(x.shape[0]),:self.num_class] = 0
        x_s[range(x.shape[0]),y] = x.max()
        return x_s.to(self.device)

    def predict(self, x):
        label_goodness = []
        for label in range(self.num_class):
            a = self.Generate_data(x, label)
            goodness = []
            for layer in self.layers:
              a = layer(a)
              goodness.append(torch.pow(a , 2).mean(dim = 1))
            label_goodness.append(sum(goodness).unsqueeze(dim = 1))
        label_goodness = torch.cat(label_goodness, dim = 1)
        return torch.argmax(label_goodness, dim = 1)

    def learn(self, x_pos, x_neg):
        for inx in range(len(self.layers)):
            print()
            print(f" Layer {inx +1 } : ")
            layer_start = time.perf_counter()
            x_pos, x_neg = self.layers[inx].learn(x_pos, x_neg)
            print(f"BENCH layer{inx + 1} {time.perf_counter() - layer_start:.3f}", file=sys.stderr)

# ---- In [5] ----
num_epochs = args.epochs
lr = 0.15
threshold = 2
hidden_dims = [784, 1000, 500, 200]
model = FF(hidden_dims ,device=device,num_epochs=num_epochs, lr = lr, threshold=threshold)
t = time.perf_counter()
x_train, labels_train = next(iter(train_loader))
print(f"BENCH first-batch {time.perf_counter() - t:.3f}", file=sys.stderr)
x_train = x_train.to(device)
labels_train = labels_train.to(device)
pos_data = model.Generate_data(x_train, labels_train)
inx = torch.randint(low=0,high=x_train.shape[0],size = (x_train.shape[0],))
neg_data  = model.Generate_data(x_train,labels_train[inx])
t = time.perf_counter()
model.learn(pos_data,neg_data)
print(f"BENCH train {time.perf_counter() - t:.3f}", file=sys.stderr)

print("--------------------------------------------------")
print()
t = time.perf_counter()
train_accuracy = 100*(model.predict(x_train) == (labels_train)).sum()/x_train.shape[0]
print(f"BENCH predict-train {time.perf_counter() - t:.3f}", file=sys.stderr)
print(f"train accuracy: {train_accuracy.item():.2f} %")

x_ts, y_ts = next(iter(test_loader))
x_ts = x_ts.to(device)
y_ts = y_ts.to(device)

t = time.perf_counter()
test_accuracy = 100*(model.predict(x_ts) == (y_ts)).sum()/x_ts.shape[0]
print(f"BENCH predict-test {time.perf_counter() - t:.3f}", file=sys.stderr)
print(f"test accuracy: {test_accuracy.item():.2f} %")
print(f"BENCH total {time.perf_counter() - t0:.3f}", file=sys.stderr)
print(f"BENCH peak-rss-mib {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}", file=sys.stderr)
